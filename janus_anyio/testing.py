"""Start private Janus instances for tests, benchmarks and scripts.

:class:`JanusServer` writes a fresh configuration into a temporary folder, picks free
loopback ports, starts ``janus`` and stops it by PID. Every listener binds to 127.0.0.1 (the
Unix sockets live in the temporary folder). Synchronous and standard-library only, so it
serves scripts and pytest fixtures alike.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any

__all__ = ["JanusServer", "JanusStartError", "find_janus", "janus_available"]

_LIB_DIRS = (
    Path("/usr/lib/x86_64-linux-gnu/janus"),
    Path("/usr/lib/aarch64-linux-gnu/janus"),
    Path("/usr/lib/janus"),
    Path("/opt/janus/lib/janus"),
)
_STOCK_CONFIGS = (Path("/etc/janus"), Path("/opt/janus/etc/janus"))
#: Plugins that need scripts to load at all.
_SCRIPTED = ("janus.plugin.lua", "janus.plugin.duktape")
_TRANSPORT_LIBS = {
    "mqtt": "libjanus_mqtt.so",
    "nanomsg": "libjanus_nanomsg.so",
    "rabbitmq": "libjanus_rabbitmq.so",
    "pfunix": "libjanus_pfunix.so",
    "http": "libjanus_http.so",
    "websockets": "libjanus_websockets.so",
}


class JanusStartError(RuntimeError):
    """Janus did not start (the message carries the end of its log)."""


def find_janus(binary: str = "janus") -> str | None:
    """The path of the Janus binary, or None."""
    return shutil.which(binary)


def janus_available() -> bool:
    """Whether a Janus binary and its plugin folder are installed."""
    return find_janus() is not None and _lib_dir() is not None


def _lib_dir() -> Path | None:
    return next((d for d in _LIB_DIRS if (d / "plugins").is_dir()), None)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def _jcfg(sections: Mapping[str, Mapping[str, Any]]) -> str:
    lines = []
    for name, items in sections.items():
        lines.append(f"{name}: {{")
        lines.extend(f"\t{key} = {_value(val)}" for key, val in items.items() if val is not None)
        lines.append("}")
    return "\n".join(lines) + "\n"


class JanusServer:
    """A private Janus 1.1.2 on free loopback ports.

    Use as a context manager (``with JanusServer() as janus: janus.ws_url``) or call
    :meth:`start` and :meth:`stop`. ``plugins=None`` loads every stock plugin but Lua and
    Duktape; ``extra_config`` overrides janus.jcfg (section -> key -> value) and
    ``plugin_config`` replaces a plugin's whole jcfg text; ``workdir`` is where the temporary
    folder goes, kept after :meth:`stop` with ``keep_files``. Secrets are not in the repr.

    With ``tls_cert`` and ``tls_key`` (PEM files; ``tls_key_password`` if the key is
    encrypted) the Janus API is also served over ``wss`` (:attr:`wss_url`) and ``https``
    (:attr:`https_url`), next to the plain listeners.

    Raises:
        ValueError: no Janus API transport (http, websockets or pfunix) is enabled.
    """

    def __init__(
        self,
        *,
        api_secret: str | None = None,
        token_auth: bool = False,
        token_auth_secret: str | None = None,
        admin_secret: str | None = "janusoverlord",
        session_timeout: int = 60,
        reclaim_session_timeout: int = 0,
        full_trickle: bool = False,
        http: bool = True,
        websockets: bool = True,
        admin_http: bool = True,
        admin_ws: bool = True,
        pfunix: bool = False,
        interface: str | None = None,
        ice_enforce_list: str | None = None,
        plugins: Sequence[str] | None = None,
        log_level: int = 4,
        extra_config: Mapping[str, Mapping[str, Any]] | None = None,
        plugin_config: Mapping[str, str] | None = None,
        janus_binary: str = "janus",
        workdir: Path | None = None,
        keep_files: bool = False,
        tls_cert: str | os.PathLike[str] | None = None,
        tls_key: str | os.PathLike[str] | None = None,
        tls_key_password: str | None = None,
    ) -> None:
        if not (http or websockets or pfunix):
            raise ValueError("Janus needs a Janus API transport: http, websockets or pfunix")
        if (tls_cert is None) != (tls_key is None):
            raise ValueError("TLS needs both tls_cert and tls_key")
        self.tls_cert = None if tls_cert is None else Path(tls_cert).resolve()
        self.tls_key = None if tls_key is None else Path(tls_key).resolve()
        self.tls_key_password = tls_key_password
        self.api_secret = api_secret
        self.token_auth = token_auth
        self.token_auth_secret = token_auth_secret
        self.admin_secret = admin_secret
        self.session_timeout = session_timeout
        self.reclaim_session_timeout = reclaim_session_timeout
        self.full_trickle = full_trickle
        self.http = http
        self.websockets = websockets
        self.admin_http = admin_http
        self.admin_ws = admin_ws
        self.pfunix = pfunix
        self.interface = interface
        self.ice_enforce_list = ice_enforce_list
        self.plugins = tuple(plugins) if plugins is not None else None
        self.log_level = log_level
        self.extra_config = dict(extra_config or {})
        self.plugin_config = dict(plugin_config or {})
        self.janus_binary = janus_binary
        self.keep_files = keep_files
        self._workdir_given = workdir
        self._dir: Path | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._log_handle: IO[bytes] | None = None
        self.http_port = self.ws_port = self.admin_http_port = self.admin_ws_port = 0
        self.https_port = self.wss_port = 0

    def __repr__(self) -> str:
        state = f"pid {self._proc.pid}" if self.running and self._proc else "stopped"
        return f"<JanusServer {state} ws={self.ws_port} http={self.http_port}>"

    # -- addresses -----------------------------------------------------------------------

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.ws_port}"

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/janus"

    @property
    def tls(self) -> bool:
        """Whether ``wss``/``https`` listeners are configured."""
        return self.tls_cert is not None

    @property
    def wss_url(self) -> str:
        """The secure WebSocket URL (with ``tls_cert``); the certificate must name 127.0.0.1."""
        return f"wss://127.0.0.1:{self.wss_port}"

    @property
    def https_url(self) -> str:
        """The HTTPS URL (with ``tls_cert``)."""
        return f"https://127.0.0.1:{self.https_port}/janus"

    @property
    def admin_ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.admin_ws_port}"

    @property
    def admin_http_url(self) -> str:
        return f"http://127.0.0.1:{self.admin_http_port}/admin"

    @property
    def workdir(self) -> Path:
        if self._dir is None:
            raise RuntimeError("JanusServer has no folder before start()")
        return self._dir

    @property
    def config_dir(self) -> Path:
        return self.workdir / "conf"

    @property
    def recordings_dir(self) -> Path:
        return self.workdir / "recordings"

    @property
    def unix_path(self) -> Path:
        return self.workdir / "janus-api.sock"

    @property
    def admin_unix_path(self) -> Path:
        return self.workdir / "janus-admin.sock"

    @property
    def log_path(self) -> Path:
        return self.workdir / "janus.log"

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    # -- life cycle ----------------------------------------------------------------------

    def __enter__(self) -> JanusServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self, *, timeout: float = 15.0) -> None:
        """Write the configuration and start Janus; returns once every listener is up.

        Raises:
            JanusStartError: Janus is missing, exited early, or did not listen in time.
        """
        if self.running:
            return
        self._terminate()  # after kill() or a crash: reap the process, close its log file
        binary = find_janus(self.janus_binary)
        lib = _lib_dir()
        if binary is None or lib is None:
            raise JanusStartError("Janus is not installed (apt-get install janus)")
        if self._dir is None:
            base = self._workdir_given
            self._dir = Path(tempfile.mkdtemp(prefix="janus-", dir=base))
        keep_ports = self.ws_port != 0
        last_error = ""
        for attempt in range(3):
            if not keep_ports:
                self._pick_ports()
            self._write_config(lib)
            try:
                self._spawn(binary, timeout)
                return
            except JanusStartError as exc:
                last_error = str(exc)
                self._terminate()
                if keep_ports and attempt < 2:  # a restart keeps its ports: give them time
                    time.sleep(0.5)
        if not self.keep_files:
            self.stop()
        raise JanusStartError(last_error)

    def stop(self) -> None:
        """Stop Janus (SIGTERM, then SIGKILL after 5 s) and remove its folder. Idempotent."""
        self._terminate()
        if self._dir is not None and not self.keep_files:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None
            self.http_port = self.ws_port = self.admin_http_port = self.admin_ws_port = 0
            self.https_port = self.wss_port = 0

    def restart(self, *, timeout: float = 15.0) -> None:
        """Stop and start again on the same ports: every session is gone."""
        self._terminate()
        self.start(timeout=timeout)

    def kill(self) -> None:
        """SIGKILL Janus (its folder stays until :meth:`stop`)."""
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()

    def pause(self, *, timeout: float = 10.0) -> None:
        """Freeze Janus (SIGSTOP), and return once it is frozen.

        ``kill`` returns as soon as the signal is queued; the kernel then wakes one Janus
        thread, which stops the others when it gets to run: on a loaded machine that takes
        milliseconds, in which Janus can still answer a request. On Linux this waits until
        every thread of Janus is stopped (``/proc``).

        Raises:
            JanusStartError: Janus was not frozen within ``timeout`` seconds.
        """
        if self._proc is None or self._proc.poll() is not None:
            return
        os.kill(self._proc.pid, signal.SIGSTOP)
        threads = Path(f"/proc/{self._proc.pid}/task")
        deadline = time.monotonic() + timeout
        while threads.is_dir() and not all(
            _thread_state(stat) in ("T", "?") for stat in threads.glob("*/stat")
        ):
            if time.monotonic() > deadline:
                raise JanusStartError(f"Janus (pid {self._proc.pid}) not frozen after SIGSTOP")
            time.sleep(0.001)

    def resume(self) -> None:
        """Resume a paused Janus (SIGCONT)."""
        if self._proc is not None and self._proc.poll() is None:
            os.kill(self._proc.pid, signal.SIGCONT)

    # -- internals -----------------------------------------------------------------------

    def _pick_ports(self) -> None:
        ports: set[int] = set()
        while len(ports) < 6:
            ports.add(_free_port())
        (
            self.http_port,
            self.ws_port,
            self.admin_http_port,
            self.admin_ws_port,
            self.https_port,
            self.wss_port,
        ) = sorted(ports)

    def _terminate(self) -> None:
        proc = self._proc
        if proc is not None:
            if proc.poll() is None:
                try:
                    os.kill(proc.pid, signal.SIGCONT)
                    proc.terminate()
                    proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
                except ProcessLookupError:
                    pass
            self._proc = None
        if self._log_handle is not None:
            self._log_handle.close()
            self._log_handle = None

    def _spawn(self, binary: str, timeout: float) -> None:
        for path in (self.unix_path, self.admin_unix_path):
            path.unlink(missing_ok=True)
        log = self.log_path
        offset = log.stat().st_size if log.exists() else 0
        # Janus appends its log to -L; stdout (-N: only the banner) and stderr go there too.
        self._log_handle = log.open("ab")
        self._proc = subprocess.Popen(
            [binary, "-F", str(self.config_dir), "-o", "-N", "-L", str(log)],
            stdin=subprocess.DEVNULL,
            stdout=self._log_handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=self.workdir,  # a core dump, if Janus crashes, stays in the temporary folder
        )
        deadline = time.monotonic() + timeout
        waiting = self._listeners()
        while True:
            if self._proc.poll() is not None:
                raise JanusStartError(
                    f"janus exited with {self._proc.returncode}:\n{self.log_text()[-3000:]}"
                )
            new_log = self._log_since(offset)
            if "[FATAL]" in new_log and "transports/" in new_log:  # e.g. a port taken
                raise JanusStartError(f"a transport failed:\n{new_log[-3000:]}")
            if "Unix Sockets thread ended" in new_log:
                # Now and then (about 1 start in 25 here) pfunix's thread ends at once and
                # its sockets never appear: start again rather than wait for the timeout.
                raise JanusStartError(f"the Unix-socket transport stopped:\n{new_log[-3000:]}")
            waiting = [w for w in waiting if not _ready(w)]
            if not waiting and self._listeners_logged(new_log):
                return
            if time.monotonic() > deadline:
                raise JanusStartError(f"janus did not listen in time:\n{self.log_text()[-3000:]}")
            time.sleep(0.02)

    def _log_since(self, offset: int) -> str:
        try:
            with self.log_path.open("rb") as fh:
                fh.seek(offset)
                return fh.read().decode(errors="replace")
        except OSError:
            return ""

    def _listeners_logged(self, log: str) -> bool:
        """Whether Janus logged each TCP listener as ours (a connect alone could reach a
        foreign process that took the port). Info lines need log level 4 or more."""
        if self.log_level < 4:
            return True
        ports = [p for p in self._listeners() if isinstance(p, int)]
        return all(f"started (port {port}" in log for port in ports)

    def _listeners(self) -> list[int | Path]:
        out: list[int | Path] = []
        if self.http:
            out.append(self.http_port)
        if self.websockets:
            out.append(self.ws_port)
        if self.admin_http:
            out.append(self.admin_http_port)
        if self.admin_ws:
            out.append(self.admin_ws_port)
        if self.tls and self.http:
            out.append(self.https_port)
        if self.tls and self.websockets:
            out.append(self.wss_port)
        if self.pfunix:
            out += [self.unix_path, self.admin_unix_path]
        return out

    def _write_config(self, lib: Path) -> None:
        conf = self.config_dir
        conf.mkdir(parents=True, exist_ok=True)
        self.recordings_dir.mkdir(exist_ok=True)
        (self.workdir / "voicemail").mkdir(exist_ok=True)
        general: dict[str, Any] = {
            "configs_folder": str(conf),
            "plugins_folder": str(lib / "plugins"),
            "transports_folder": str(lib / "transports"),
            "events_folder": str(lib / "events"),
            "loggers_folder": str(lib / "loggers"),
            "debug_level": self.log_level,
            "admin_secret": self.admin_secret,
            "api_secret": self.api_secret,
            "token_auth": self.token_auth,
            "token_auth_secret": self.token_auth_secret,
            "session_timeout": self.session_timeout,
            "reclaim_session_timeout": self.reclaim_session_timeout,
            "server_name": "janus-client-tests",
            "interface": self.interface,
            "protected_folders": ["/bin", "/boot", "/dev", "/etc", "/proc", "/sbin", "/sys"],
        }
        disabled_plugins = []
        plugin_dir = lib / "plugins"
        for so in sorted(plugin_dir.glob("libjanus_*.so")):
            package = "janus.plugin." + so.name[len("libjanus_") : -3]
            wanted = package not in _SCRIPTED if self.plugins is None else (package in self.plugins)
            if not wanted:
                disabled_plugins.append(so.name)
        disabled_transports = [_TRANSPORT_LIBS[n] for n in ("mqtt", "nanomsg", "rabbitmq")]
        if not self.pfunix:
            disabled_transports.append(_TRANSPORT_LIBS["pfunix"])
        if not (self.http or self.admin_http):
            disabled_transports.append(_TRANSPORT_LIBS["http"])
        if not (self.websockets or self.admin_ws):
            disabled_transports.append(_TRANSPORT_LIBS["websockets"])
        events = sorted(p.name for p in (lib / "events").glob("libjanus_*.so"))
        loggers = sorted(p.name for p in (lib / "loggers").glob("libjanus_*.so"))
        sections: dict[str, dict[str, Any]] = {
            "general": general,
            "certificates": {},
            "media": {"rtp_port_range": "20000-40000"},
            "nat": {
                "nice_debug": False,
                "full_trickle": self.full_trickle,
                "ice_enforce_list": self.ice_enforce_list,
                "ice_ignore_list": None if self.ice_enforce_list else "vmnet",
            },
            "plugins": {"disable": ",".join(disabled_plugins) or None},
            "transports": {"disable": ",".join(disabled_transports)},
            "loggers": {"disable": ",".join(loggers) or None},
            "events": {"broadcast": False, "disable": ",".join(events) or None},
        }
        for name, items in self.extra_config.items():
            sections.setdefault(name, {}).update(items)
        (conf / "janus.jcfg").write_text(_jcfg(sections))
        certificates = {
            "cert_pem": None if self.tls_cert is None else str(self.tls_cert),
            "cert_key": None if self.tls_key is None else str(self.tls_key),
            "cert_pwd": self.tls_key_password,
        }
        (conf / "janus.transport.http.jcfg").write_text(
            _jcfg(
                {
                    "general": {
                        "json": "plain",
                        "base_path": "/janus",
                        "http": self.http,
                        "port": self.http_port,
                        "ip": "127.0.0.1",
                        "https": self.tls and self.http,
                        "secure_port": self.https_port if self.tls else None,
                        "secure_ip": "127.0.0.1" if self.tls else None,
                    },
                    "admin": {
                        "admin_base_path": "/admin",
                        "admin_http": self.admin_http,
                        "admin_port": self.admin_http_port,
                        "admin_ip": "127.0.0.1",
                        "admin_https": False,
                    },
                    "cors": {},
                    "certificates": certificates,
                }
            )
        )
        (conf / "janus.transport.websockets.jcfg").write_text(
            _jcfg(
                {
                    "general": {
                        "json": "plain",
                        "ws": self.websockets,
                        "ws_port": self.ws_port,
                        "ws_ip": "127.0.0.1",
                        "wss": self.tls and self.websockets,
                        "wss_port": self.wss_port if self.tls else None,
                        "wss_ip": "127.0.0.1" if self.tls else None,
                    },
                    "admin": {
                        "admin_ws": self.admin_ws,
                        "admin_ws_port": self.admin_ws_port,
                        "admin_ws_ip": "127.0.0.1",
                        "admin_wss": False,
                    },
                    "cors": {},
                    "certificates": certificates,
                }
            )
        )
        (conf / "janus.transport.pfunix.jcfg").write_text(
            _jcfg(
                {
                    "general": {
                        "enabled": self.pfunix,
                        "json": "plain",
                        "path": str(self.unix_path),
                        "type": "SOCK_SEQPACKET",
                    },
                    "admin": {
                        "admin_enabled": self.pfunix,
                        "admin_path": str(self.admin_unix_path),
                        "admin_type": "SOCK_SEQPACKET",
                    },
                }
            )
        )
        self._write_plugin_configs(conf)

    def _write_plugin_configs(self, conf: Path) -> None:
        stock = next((d for d in _STOCK_CONFIGS if d.is_dir()), None)
        generated = {
            "janus.plugin.streaming": _jcfg({"general": {}}),
            "janus.plugin.recordplay": _jcfg({"general": {"path": str(self.recordings_dir)}}),
            "janus.plugin.voicemail": _jcfg(
                {
                    "general": {
                        "path": str(self.workdir / "voicemail"),
                        "base": "/voicemail/",
                        "events": True,
                    }
                }
            ),
        }
        if stock is not None:
            for src in stock.glob("janus.plugin.*.jcfg"):
                package = src.name[: -len(".jcfg")]
                if package not in generated:
                    shutil.copyfile(src, conf / src.name)
        for package, text in {**generated, **self.plugin_config}.items():
            (conf / f"{package}.jcfg").write_text(text)


def _thread_state(stat: Path) -> str:
    """A thread's state letter from its ``/proc/<pid>/task/<tid>/stat`` (``?``: gone)."""
    try:
        return stat.read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return "?"


def _ready(target: int | Path) -> bool:
    if isinstance(target, Path):
        return target.exists()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.2)
        try:
            sock.connect(("127.0.0.1", target))
        except OSError:
            return False
        return True
