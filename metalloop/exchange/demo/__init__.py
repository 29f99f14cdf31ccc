def register_demo() -> None:
    pass
