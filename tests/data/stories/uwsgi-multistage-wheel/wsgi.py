# The smallest WSGI callable uWSGI can serve.
def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"hello from uwsgi\n"]
