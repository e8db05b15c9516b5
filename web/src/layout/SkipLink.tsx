import classes from './SkipLink.module.css';

/** The first stop of the Tab key: jumps past the navigation to the page. */
export function SkipLink() {
  return (
    <a href="#main" className={classes.skip}>
      Skip to content
    </a>
  );
}
