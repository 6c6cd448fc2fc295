"""janus_media's public names: a tuple __all__, every name there, shown as the package's."""

from __future__ import annotations

import janus_media


def test_all_is_a_tuple_of_existing_public_names() -> None:
    assert isinstance(janus_media.__all__, tuple)
    assert len(set(janus_media.__all__)) == len(janus_media.__all__)
    for name in janus_media.__all__:
        obj = getattr(janus_media, name)
        module = getattr(obj, "__module__", None)
        if module is not None and module.startswith("janus_media"):
            assert module == "janus_media", name


def test_private_modules_are_not_the_api() -> None:
    public = {n for n in dir(janus_media) if not n.startswith("_")}
    modules = {"annotations"}
    assert public - modules <= set(janus_media.__all__), public - set(janus_media.__all__)
