"""Drop-in replacements for the Python APIs libutx was written to replace:
pyutmp (utx.compat.pyutmp), pyutmpx (utx.compat.pyutmpx) and
python-systemd's login module (utx.compat.login)."""
