"""janus_media: WebRTC media between aiortc and Janus (asyncio only, as aiortc is).

Not built yet: this package is reserved for the media layer (peer connections bound to
plugin handles). Importing it works and offers nothing.
"""

from __future__ import annotations

__all__: tuple[str, ...] = ()
