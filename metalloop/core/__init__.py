"""The pure computational core of metalloop.

Nothing here imports Django, ninja or the apps, and nothing does file or network I/O:
functions take and return frozen dataclasses and numbers with explicit units.
"""
