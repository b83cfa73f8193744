"""Signing in for a token."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from glossary.api.serializers.base import OutputSerializer


class TokenRequestSerializer(serializers.Serializer):
    """A username and password, exchanged for a new API token."""

    username = serializers.CharField(
        write_only=True, help_text=_("The username of an editorial account.")
    )
    password = serializers.CharField(
        write_only=True,
        trim_whitespace=False,
        style={"input_type": "password"},
        help_text=_("Its password."),
    )


class TokenSerializer(OutputSerializer):
    """A new API token and when it stops working."""

    token = serializers.CharField(
        help_text=_(
            "Send it as the header “Authorization: Token <token>”. It is shown only once: "
            "the glossary keeps a digest of it, not the token itself."
        )
    )
    expires = serializers.DateTimeField(
        help_text=_(
            "When the token stops working (ISO 8601, UTC). It stops earlier if the account's "
            "password changes or the account is deactivated."
        )
    )
