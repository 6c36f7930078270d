# @plein/plugin-__name__

__Title__: a Plein plugin. Members post short items; everyone, signed in or not, sees them newest
first, on the page `/__name__` and through the JSON API `/api/v1/__name__`.

It was scaffolded by `plein create-plugin __name__`: change what it does, and keep this file telling
the truth about it.

## Permissions

- `__name__.item.read`: list items, on the page and through the API. Default roles: member, anonymous.
- `__name__.item.create`: post an item. Default role: member.

## Events

Published:

- `__name__.item.created`, payload `{ itemId, authorId }`: an item was stored (delivered after the
  transaction commits, never for one that rolled back).

Consumed: none.

## API

- `GET /api/v1/__name__?limit=20&cursor=…`: `{ items, nextCursor }`, newest first.
- `POST /api/v1/__name__` with `{ "title": "…" }` (1 to 200 characters): the new item, `201`.
  A missing or empty title is a `422` problem response naming `title`.

## Tables

`__name_snake___item` (migration `1730000000000-__name__-init`).

## Enable it

Add `"@plein/plugin-__name__"` to `plugins` in `plein.config.json` and restart Plein; the
migration runs on start (or with `plein migrate`).

## Test

```sh
npm run build      # tsc -b
npm test           # boots a real Plein with this plugin on a fresh database (test/__name__.e2e-spec.ts)
```
