"""A tiny WSGI app: the real-build regression projects need something to run, not a framework."""


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok\n"]


if __name__ == "__main__":
    print("ok")
