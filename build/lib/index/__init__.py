"""The corpus side of policybot: documents in, a searchable hybrid index out.

Knows nothing of Telegram or language models; takes plain arguments, not settings.
"""
