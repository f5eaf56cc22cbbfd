from __future__ import annotations

from django.urls import path

from backend.marketdata import api, indicator_api

urlpatterns = [
    path("market/instruments", api.InstrumentsView.as_view(), name="market-instruments"),
    path("market/klines", api.KlinesView.as_view(), name="market-klines"),
    path("market/trades", api.TradesView.as_view(), name="market-trades"),
    path("market/ticker", api.TickerView.as_view(), name="market-ticker"),
    path("market/indicators", indicator_api.IndicatorsView.as_view(), name="market-indicators"),
]
