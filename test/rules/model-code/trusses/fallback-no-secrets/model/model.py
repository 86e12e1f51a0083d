class Model:
    def __init__(self, **kwargs):
        self._secrets = kwargs.get("secrets") or {}

    def load(self):
        return self._secrets.get("hf_access_token")
