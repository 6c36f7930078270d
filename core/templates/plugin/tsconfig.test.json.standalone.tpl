{
  "extends": "./tsconfig.json",
  "compilerOptions": { "composite": false, "declaration": false, "declarationMap": false, "isolatedModules": true, "rootDir": "." },
  "include": ["src", "test"]
}
