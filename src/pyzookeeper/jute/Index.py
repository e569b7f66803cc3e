"""Mirrors org.apache.jute.Index: iterates over the elements of a vector or map."""


class Index:
    """Element counter handed out by ``InputArchive.startVector``."""

    __slots__ = ("nelems",)

    def __init__(self, nelems: int) -> None:
        self.nelems = nelems

    def done(self) -> bool:
        return self.nelems <= 0

    def incr(self) -> None:
        self.nelems -= 1
