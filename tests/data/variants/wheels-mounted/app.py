import flask
import pycurl

print("ok", flask.__name__, pycurl.__name__)
