from django.apps import AppConfig


class SigninConfig(AppConfig):
    # Staff sign-in: the password (django-axes' lockout), the second step (django-otp) and who
    # must take it. Above core, below every app whose permissions make the second step needed:
    # those apps declare them through the `register_two_factor_permissions` hook.
    name = "healthpress.signin"
    label = "signin"
