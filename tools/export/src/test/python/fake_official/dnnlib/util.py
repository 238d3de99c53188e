"""open_url as the export scripts call it (local files only here)."""


def open_url(path):
    return open(path, "rb")
