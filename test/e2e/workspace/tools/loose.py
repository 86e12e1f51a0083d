# A Python file of no Truss: the extension says nothing about it.
class Model:
    def __init__(self, **kwargs):
        self._secrets = kwargs["secrets"]
        self._openai = self._secrets.get("openai_key")
