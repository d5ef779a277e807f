"""Prints where gunicorn's metadata was installed: the --target folder of the Dockerfile."""
from importlib import metadata

print(metadata.distribution("gunicorn")._path)
