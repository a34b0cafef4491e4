# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   language_info:
#     name: python
# ---

# %% [markdown] id="cb5c2d3a" nbgrader={"grade": false, "grade_id": "intro-task", "locked": true, "schema_version": 3, "solution": false}
# # Exercise 0: welcome, and framing a segmentation
#
# Three small questions and one short written answer (about 20 minutes). They practise what the
# lesson `lessons/00-welcome` showed: running cells, checking your answers, and choosing what a
# segmentation is for.
#
# **How to work:** run the first code cell, then for each question write your answer in the cell
# marked `# YOUR CODE HERE` (delete the line `raise NotImplementedError()`), and run the check cell
# under it. The check says **Correct**, **Incorrect** with what is wrong, or that you have not answered
# yet. Stuck? Un-comment `q1.hint()` (call it again for a stronger hint), and last `q1.solution()`.

# %% id="7c64587c" nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false}
import pandas as pd

from course_utils.questions.m00_welcome import CUSTOMERS, FLAWED, SCENARIOS, q1, q2, q3

customers = pd.DataFrame(CUSTOMERS)
customers

# %% [markdown] id="16baa3c2" nbgrader={"grade": false, "grade_id": "q1-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 1: run, answer, check (1 point)
#
# The table `customers` above shows eight customers of Larkspur & Co. Which customer **spent the
# most** last year? Store their `customer_id` (a text such as `"C01"`) in a variable named
# `top_spender`. Compute it with pandas rather than typing it.

# %% id="91f2bec2" nbgrader={"grade": false, "grade_id": "q1-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
top_spender = customers.loc[customers["spend_gbp"].idxmax(), "customer_id"]
### END SOLUTION

# %% id="2fcde763" nbgrader={"grade": true, "grade_id": "q1-check", "locked": true, "points": 1, "schema_version": 3, "solution": false}
# Check your answer (run this cell)
q1.check()
### BEGIN HIDDEN TESTS
_truth = pd.DataFrame(CUSTOMERS)
assert isinstance(top_spender, str), "top_spender must be a str"
assert top_spender == _truth.loc[_truth["spend_gbp"].idxmax(), "customer_id"]
### END HIDDEN TESTS

# %% id="65a678c6"
# q1.hint()
# q1.solution()

# %% [markdown] id="6a0858c8" nbgrader={"grade": false, "grade_id": "q2-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 2: which objective? (2 points)
#
# Each business question below serves one segmentation objective: `"high-value"`,
# `"purchasing behaviour"`, `"targeted marketing"` or `"retention"`. Fill in the dictionary
# `objective_for`, with the scenario letter as key and the objective as value.

# %% id="b2d3c033" nbgrader={"grade": false, "grade_id": "scenarios", "locked": true, "schema_version": 3, "solution": false}
for letter, question in SCENARIOS.items():
    print(f"{letter}: {question}")

# %% id="3f5e78b1" nbgrader={"grade": false, "grade_id": "q2-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
objective_for = {
    "A": "retention",
    "B": "high-value",
    "C": "targeted marketing",
    "D": "purchasing behaviour",
}
### END SOLUTION

# %% id="41198dec" nbgrader={"grade": true, "grade_id": "q2-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}
q2.check()
### BEGIN HIDDEN TESTS
assert type(objective_for) is dict and sorted(objective_for) == ["A", "B", "C", "D"]
assert objective_for["A"].strip().lower() in {"retention", "churn"}
assert objective_for["B"].strip().lower().replace(" ", "-").startswith("high-value")
### END HIDDEN TESTS

# %% id="ee039316"
# q2.hint()
# q2.solution()

# %% [markdown] id="2bef8727" nbgrader={"grade": false, "grade_id": "q3-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 3: what makes segments useful? (2 points)
#
# Each segmentation below fails **one** of the four properties of a useful segmentation:
# `"distinct"`, `"stable"`, `"actionable"`, `"lawful"`. Fill in the dictionary `fails` with the
# property each one fails. Use each word once.

# %% id="22aeff7f" nbgrader={"grade": false, "grade_id": "flawed", "locked": true, "schema_version": 3, "solution": false}
for key, description in FLAWED.items():
    print(f"{key}: {description}")

# %% id="375c415b" nbgrader={"grade": false, "grade_id": "q3-answer", "locked": false, "schema_version": 3, "solution": true}
### BEGIN SOLUTION
fails = {
    "S1": "lawful",
    "S2": "stable",
    "S3": "distinct",
    "S4": "actionable",
}
### END SOLUTION

# %% id="01ec29d6" nbgrader={"grade": true, "grade_id": "q3-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}
q3.check()
### BEGIN HIDDEN TESTS
assert type(fails) is dict
assert {k: str(v).strip().lower() for k, v in fails.items()} == {
    "S1": "lawful", "S2": "stable", "S3": "distinct", "S4": "actionable"}
### END HIDDEN TESTS

# %% id="8a39f787"
# q3.hint()
# q3.solution()

# %% [markdown] id="cbd12814" nbgrader={"grade": false, "grade_id": "q4-task", "locked": true, "schema_version": 3, "solution": false}
# ## Question 4: your own segmentation brief (written, 3 points, graded by your instructor)
#
# In 80-150 words: choose **one** objective for Larkspur & Co. Name two or three segments you would
# expect to find, and for each one **action** the company could take. Say one way the segmentation
# could fail to be *lawful or fair*, and how you would check for it.

# %% [markdown] id="2d02b26a" nbgrader={"grade": true, "grade_id": "q4-written", "locked": false, "points": 3, "schema_version": 3, "solution": true}
# === BEGIN MARK SCHEME ===
# A full answer (3 points): one objective stated (1); two or three segments each with a concrete,
# different action (1); one lawful/fair risk with a check, e.g. segments acting as a proxy for age
# or sex, checked by comparing segment make-up or offer rates across groups (1).
# Example: *Objective: retention. Segments: "loyal regulars" (thank-you perks), "drifting regulars"
# who bought monthly but not for 90 days (win-back offer), "one-off buyers" (welcome series).
# Risk: if drifting regulars are mostly older customers, a win-back discount could treat age groups
# differently; compare the offer rate per age band before sending.*
# === END MARK SCHEME ===
