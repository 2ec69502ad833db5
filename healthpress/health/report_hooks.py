"""TODO(issue 17): the Article health report in Reports."""
