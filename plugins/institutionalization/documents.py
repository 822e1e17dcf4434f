"""stub"""


def register():
    pass
