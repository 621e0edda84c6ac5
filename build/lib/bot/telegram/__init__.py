"""The Telegram front door: the Application, thin handlers and HTML formatting."""
