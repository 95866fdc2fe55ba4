"""Main-menu entries for this app: only those the user's roles can use."""


def items(request) -> list[tuple[str, str]]:
    return []
