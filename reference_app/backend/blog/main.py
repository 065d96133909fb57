"""The ASGI entry point: ``uvicorn blog.main:app``.

Configures the process (JSON logs) and builds the app from the environment. Import
:func:`blog.app.create_app` instead to build an app without these side effects.
"""

from blog.app import create_app
from blog.bootstrap.json_logging import configure_logging
from blog.settings import Settings

settings = Settings.from_env()
configure_logging(settings.log_level)
app = create_app(settings)
