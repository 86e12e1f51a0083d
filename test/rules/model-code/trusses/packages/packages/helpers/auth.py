class Client:
    def __init__(self, secrets):
        self.token = secrets["service_token"]
#                             ^^^^^^^^^^^^^ warning undeclared-secret-read
