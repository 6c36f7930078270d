{
  "name": "@plein/plugin-__name__",
  "version": "0.1.0",
  "description": "__Title__: a Plein plugin",
  "license": "MIT",
  "main": "dist/index.js",
  "types": "dist/index.d.ts",
  "files": [
    "dist",
    "views",
    "README.md"
  ],
  "scripts": {
    "build": "tsc -b",
    "test": "jest"
  },
  "peerDependencies": {
    "@plein/sdk": "^1.0.0",
    "@nestjs/common": "^11.0.0",
    "class-validator": "^0.15.0",
    "typeorm": "^1.0.0"
  },
  "devDependencies": {
    "@plein/core": "*"
  }
}
