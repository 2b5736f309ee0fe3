FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends chromium && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -e .
ENV MOCKAPPS_DATA=/data
CMD ["mockapps", "serve", "--host", "0.0.0.0"]
