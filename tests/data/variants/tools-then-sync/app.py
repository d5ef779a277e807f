import requests; print("ok", requests.__name__)
