class Model:
    def __init__(self, **kwargs):
        self._secrets = kwargs["secrets"]
        self._config = kwargs["config"]

    def load(self):
        token = self._secrets["hf_access_token"]
        key = self._secrets["openai_api_key"]
#                            ^^^^^^^^^^^^^^ warning undeclared-secret-read
        other = self._secrets.get("hf_acess_token")
#                                  ^^^^^^^^^^^^^^ warning undeclared-secret-read
        if "wandb_key" in self._secrets:
#           ^^^^^^^^^ warning undeclared-secret-read
            pass
        s = self._secrets
        direct = s['replicate_key']
#                   ^^^^^^^^^^^^^ warning undeclared-secret-read
        config = self._config["not_a_secret"]
        return token, key, other, direct, config


def helper(**kwargs):
    # kwargs of a function that is not __init__: not truss's mapping
    return kwargs["secrets"]["anything"]
