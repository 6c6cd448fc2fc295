"""All hypothesis strategies of the test suite (the public ones, plus test-only ones)."""

from __future__ import annotations

from hypothesis import strategies as st

from janus_proto.testing import strategies as public

ids = public.ids
candidates = public.candidates
core_requests = public.core_requests
admin_requests = public.admin_requests
requests = public.requests
json_values = public.json_values
pushed_events = public.pushed_events
server_messages = public.server_messages
garbage = public.garbage

#: Times as a driver would pass them: non-negative, finite.
times = st.floats(min_value=0.0, max_value=1e6, allow_nan=False, allow_infinity=False)
