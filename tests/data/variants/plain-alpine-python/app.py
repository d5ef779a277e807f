import yaml; print("ok")
