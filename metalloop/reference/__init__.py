"""Read-only reference knowledge: data files and the loaders that turn them into core
value objects once per process. No Django here either: the apps pass in what they need
(paths, cache directories).
"""
