"""Alert rules evaluated on the live market stream (pure: no Django, no I/O).

conditions.py parses and evaluates what a rule watches; rules.py holds a rule, its
trigger mode and state; index.py finds the rules one trade or kline can fire without
touching rules of other markets.
"""
