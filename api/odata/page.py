"""One page of an entity set: its rows, from where the request's position says, and where
the next page begins. A page ends at the end of a batch of responses (so the next page's
position is a response id, whatever order the batch's rows are shown in) once it holds at
least a page's worth of rows, or when the client's `$top` is reached."""

from collections.abc import Iterator

from api.odata.paging import Position
from engine.export.rows import Row


class PageRows:
    """Iterate for the rows; then `following` is the next page's position (None: no more)
    and `served` how many rows were given."""

    def __init__(self, batches, table: str, position: Position, size: int):
        self.batches, self.table, self.position, self.size = batches, table, position, size
        self.following: Position | None = None
        self.served = 0

    def __iter__(self) -> Iterator[Row]:
        skip, top = self.position.skip, self.position.top
        if top == 0:
            return
        for last, found in self.batches:
            for name, row in found:
                if name != self.table:
                    continue
                if skip:
                    skip -= 1
                    continue
                yield row
                self.served += 1
                if self.served == top:
                    return
            if self.served >= self.size:
                left = None if top is None else top - self.served
                self.following = Position(last, skip, left)
                return
