"""janus_client: the API of the original janus-client, on top of our layers.

Not built yet: the seed-compatible facade arrives with the media layer. Importing it works
and offers nothing.
"""

from __future__ import annotations

__all__: tuple[str, ...] = ()
