<section aria-labelledby="__name__-latest">
  <h2 id="__name__-latest">Latest</h2>
  {{#each items}}
    <article class="card">
      <p><strong>{{title}}</strong></p>
      <p class="muted">{{author.displayName}}, <time datetime="{{createdAt}}">{{date createdAt}}</time></p>
    </article>
  {{else}}
    <p class="muted">Nothing here yet.{{#if signedIn}} Post an item through the API: <code>POST /api/v1/__name__</code>.{{/if}}</p>
  {{/each}}
</section>
