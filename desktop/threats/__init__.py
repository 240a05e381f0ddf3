"""Threat reports (KMZB): import, assignment to beats, diagnosis statistics and priority
action plans. Modules here are Qt-free; widgets live in ``ui/``."""
