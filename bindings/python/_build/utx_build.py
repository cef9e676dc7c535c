"""A PEP 517 backend for the utx package: pure Python, no dependencies.

The wheel holds utx/ as it is.  With the config setting (or environment
variable) UTX_BUNDLE_LIB=/path/to/libutx.so.1 it also holds that library
as utx/libutx.so.1 and is tagged for this platform (`make wheel`).
"""
import base64
import hashlib
import os
import sysconfig
import tarfile
import zipfile

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NAME, VERSION = "utx", "1.0.0"
DIST = "%s-%s" % (NAME, VERSION)
METADATA = """Metadata-Version: 2.1
Name: utx
Version: 1.0.0
Summary: Read every Unix system's login-accounting files through libutx
License: MIT OR Apache-2.0
Requires-Python: >=3.9
"""


def _files():
    for dirpath, dirs, names in os.walk(os.path.join(HERE, "utx")):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for n in sorted(names):
            if n.endswith(".py"):
                full = os.path.join(dirpath, n)
                yield full, os.path.relpath(full, HERE)


def _record_line(arc, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return "%s,sha256=%s,%d" % (arc, digest, len(data))


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    lib = (config_settings or {}).get("UTX_BUNDLE_LIB") or os.environ.get("UTX_BUNDLE_LIB")
    tag = "py3-none-" + sysconfig.get_platform().replace("-", "_").replace(".", "_") if lib else "py3-none-any"
    path = os.path.join(wheel_directory, "%s-%s.whl" % (DIST, tag))
    record = []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        def add(arc, data):
            z.writestr(arc, data)
            record.append(_record_line(arc, data))
        for full, arc in _files():
            with open(full, "rb") as f:
                add(arc, f.read())
        if lib:
            with open(lib, "rb") as f:
                add("utx/libutx.so.1", f.read())
        info = DIST + ".dist-info/"
        add(info + "METADATA", METADATA.encode())
        add(info + "WHEEL", ("Wheel-Version: 1.0\nGenerator: utx_build\nRoot-Is-Purelib: %s\nTag: %s\n"
                             % ("false" if lib else "true", tag)).encode())
        record.append(info + "RECORD,,")
        z.writestr(info + "RECORD", "\n".join(record) + "\n")
    return os.path.basename(path)


def build_sdist(sdist_directory, config_settings=None):
    path = os.path.join(sdist_directory, DIST + ".tar.gz")
    with tarfile.open(path, "w:gz") as t:
        for rel in ("pyproject.toml", "README.md"):
            if os.path.exists(os.path.join(HERE, rel)):
                t.add(os.path.join(HERE, rel), DIST + "/" + rel)
        t.add(os.path.join(HERE, "_build", "utx_build.py"), DIST + "/_build/utx_build.py")
        for full, arc in _files():
            t.add(full, DIST + "/" + arc)
    return os.path.basename(path)
