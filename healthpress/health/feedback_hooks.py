"""TODO(issue 17): the feedback form's page query parameter."""
