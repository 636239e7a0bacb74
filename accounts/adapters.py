from allauth.account.adapter import DefaultAccountAdapter

from companies.services import invitations_accept_pending


class AccountAdapter(DefaultAccountAdapter):
    def confirm_email(self, request, email_address) -> bool:
        """Verify the address; an invited person then joins every company that invited this address."""
        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            invitations_accept_pending(user=email_address.user, email=email_address.email)
        return confirmed
