"""Background jobs of the privacy app."""

from django_tasks import task


@task()
def task_send_password_reset(email: str, domain: str, use_https: bool) -> None:
    """Look up accounts with `email` and mail each a reset link. Runs off the request so the
    reset page answers in the same time whether or not the address has an account."""
    from .forms import PasswordResetRequestForm

    form = PasswordResetRequestForm({"email": email})
    if form.is_valid():
        form.send_reset_mails(domain=domain, use_https=use_https)
