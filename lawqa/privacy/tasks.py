"""Background jobs of the privacy app."""

from django_tasks import task


@task()
def task_send_password_reset(email: str, *_request_site) -> None:
    """Look up accounts with `email` and mail each a reset link on LAWQA_SITE_URL. Runs off the
    request so the reset page answers in the same time whether or not the address has an account.
    (`_request_site`: the domain and scheme that tasks queued by earlier versions carry; unused.)"""
    from .forms import PasswordResetRequestForm

    form = PasswordResetRequestForm({"email": email})
    if form.is_valid():
        form.send_reset_mails()
