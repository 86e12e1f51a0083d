class Model:
    def __init__(self, **kwargs):
        self._secrets = kwargs["secrets"]

    def load(self):
        self._hf = self._secrets["hf_access_token"]
        self._openai = self._secrets.get("openai_key")
