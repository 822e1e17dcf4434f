"""stub"""


def load(app):
    pass
