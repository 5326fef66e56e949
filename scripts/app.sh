#!/usr/bin/env bash
# Set up (first time only) and start the app: bash scripts/app.sh [extra streamlit options]
source "$(dirname "$0")/setup_env.sh" requirements.txt
exec .venv/bin/streamlit run streamlit_app.py "$@"
