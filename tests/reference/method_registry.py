"""The registry each reference module fills: METHODS, method = registry(); @method("name") on a function."""


def registry():
    methods = {}

    def method(name):
        def register(fn):
            methods[name] = fn
            return fn

        return register

    return methods, method
