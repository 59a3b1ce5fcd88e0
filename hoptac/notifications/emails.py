"""What a notification's e-mail says (absolute links: settings.HOPTAC_SITE_URL) and who gets one."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from hoptac.accounts.models import User

from .models import Notification


def site_url(path: str) -> str:
    """The absolute address of a path of the site, for e-mail: HOPTAC_SITE_URL + path."""
    if not path or "://" in path:
        return path
    base = str(getattr(settings, "HOPTAC_SITE_URL", "") or "").rstrip("/")
    return f"{base}{path}"


def wants_email(user: User) -> bool:
    return bool(user.email) and user.is_active and user.notify_by_email


def email_of(notification: Notification) -> tuple[str, str]:
    """The subject and body of a notification's e-mail, with the absolute link."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = f"[HợpTác] {notification.title}"
        parts = [notification.title, notification.body]
        if notification.link:
            parts.append(_("Open it: %(url)s") % {"url": site_url(notification.link)})
        parts.append(
            _(
                "This message was sent automatically by HợpTác; please do not reply. You can choose to receive "
                "notifications only in HợpTác on your profile page: %(url)s"
            )
            % {"url": site_url("/accounts/profile/")}
        )
    return subject[:255], "\n\n".join(part for part in parts if part)
