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
    "@plein/core": "*",
    "@types/jest": "^30.0.0",
    "@types/node": "^20.19.0",
    "jest": "^30.5.2",
    "ts-jest": "^29.4.15",
    "typescript": "~5.9.3"
  }
}
