def read(secrets):
    return secrets["elsewhere"]


class Model:
    def __init__(self, **kwargs):
        self._secrets = kwargs["secrets"]
        self._other = load_secrets()

    def load(self):
        token = read(self._secrets)
        return token, self._other["x_key"], self._secrets["hf_access_token"]
