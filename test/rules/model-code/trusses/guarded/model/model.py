from truss.errors import SecretNotFound


class Model:
    def __init__(self, data_dir, config, secrets):
        self._secrets = secrets

    def load(self):
        try:
            a = self._secrets["a_key"]
        except SecretNotFound:
            a = None
        try:
            b = self._secrets.get("b_key")
        except Exception as e:
            b = None
        try:
            c = self._secrets["c_key"]
        except (ValueError, BaseException):
            c = None
        try:
            d = self._secrets["d_key"]
        except:
            d = None
        if self._secrets and "e_key" in self._secrets:
            e = self._secrets["e_key"]
        if len(self._secrets) > 1:
            f = self._secrets["f_key"]
        if "g_key" in self._secrets._base_secrets.keys():
            g = self._secrets["g_key"]
        h = self._secrets["h_key"] if self._secrets else None
        try:
            # except KeyError is no guard: SecretNotFound is not a KeyError
            i = self._secrets["i_key"]
#                              ^^^^^ warning undeclared-secret-read
        except KeyError:
            i = None
        return a, b, c, d, e, f, g, h, i
