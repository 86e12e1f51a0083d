import os


class Model:
    def load(self):
        with open("/secrets/hf_access_token") as f:
            token = f.read()
        with open("/secrets/wandb_api_key") as f:
#                           ^^^^^^^^^^^^^ warning undeclared-secret-read
            key = f.read()
        env = os.environ["TRUSS_SECRET_replicate"]
#                                      ^^^^^^^^^ warning undeclared-secret-read
        return token, key, env
