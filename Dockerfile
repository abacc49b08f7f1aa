# Portcullis production image. Node 24 strips the TypeScript types itself, so there is no build step:
# the image holds the production dependencies, src/ and views/, and runs src/main.ts as the `node` user.
# Signing keys are not part of the image: mount a persistent volume at /app/keys (docker-compose.yml does).
FROM node:24-slim

ENV NODE_ENV=production \
    KEYS_DIR=/app/keys

WORKDIR /app

# Dependencies first, so a source change does not reinstall them. argon2 ships prebuilt binaries
# (linux-x64 and linux-arm64, glibc), so no compiler is needed.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY src/ ./src/
COPY views/ ./views/
COPY keys/README.md ./keys/README.md

# The code stays root-owned (read-only to the server); only the keys folder belongs to `node`, mode 700.
# An empty named volume mounted at /app/keys takes this ownership and mode on first use.
RUN chown node:node /app/keys && chmod 700 /app/keys

USER node

EXPOSE 3000

CMD ["node", "src/main.ts"]
