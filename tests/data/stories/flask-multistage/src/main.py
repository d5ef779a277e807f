# A tiny Flask API standing in for the article's web server.
from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    return {"status": "ok"}
