## 主治医意見書: sections, items, choices, units and eras, in English.
## Keys: section-<id>, item-<id>, choice-<choice_labels or item id>-<choice id>, unit-<unit>, era-<id>.

form-title = Attending physician's opinion (主治医意見書)
form-r3 = 2021 (Reiwa 3) form
form-r8 = 2026 (Reiwa 8) form

## Eras

era-meiji = Meiji
era-taisho = Taishō
era-showa = Shōwa
era-heisei = Heisei
era-reiwa = Reiwa

## Units

unit-age = years
unit-cm = cm
unit-kg = kg

## Shared choices

choice-yes-no-yes = Yes
choice-yes-no-no = No
choice-degree-mild = Mild
choice-degree-moderate = Moderate
choice-degree-severe = Severe

## Basic information

section-basic = Basic information
item-written-date = Date written
item-applicant-kana = Name reading (furigana)
item-applicant-name = Applicant's name
item-applicant-sex = Sex
choice-applicant-sex-male = Male
choice-applicant-sex-female = Female
item-applicant-birth-date = Date of birth
item-applicant-age = Age
item-applicant-postal-code = Postal code
item-applicant-address = Address
item-applicant-phone = Contact phone
item-insurer-number = Insurer number
item-insured-number = Insured person's number
item-intro-note = The opinion on the applicant above is as follows.
item-consent = As the attending physician, on this opinion being used for care service planning etc.
choice-consent-agree = I agree.
choice-consent-disagree = I do not agree.
item-physician-name = Physician's name
item-clinic-name = Medical institution
item-clinic-phone = Phone
item-clinic-address = Institution address
item-clinic-fax = Fax
item-institution-code = Medical institution code
item-last-exam-date = (1) Date of last examination
item-opinion-count = (2) Times this opinion has been written
choice-opinion-count-first = First
choice-opinion-count-repeat = Second or later
item-other-visits = (3) Visits to other departments
item-other-departments = Other departments visited
choice-other-departments-internal = Internal medicine
choice-other-departments-psychiatry = Psychiatry
choice-other-departments-surgery = Surgery
choice-other-departments-orthopedics = Orthopaedics
choice-other-departments-neurosurgery = Neurosurgery
choice-other-departments-dermatology = Dermatology
choice-other-departments-urology = Urology
choice-other-departments-gynecology = Gynaecology
choice-other-departments-ophthalmology = Ophthalmology
choice-other-departments-otolaryngology = Otolaryngology
choice-other-departments-rehabilitation = Rehabilitation
choice-other-departments-dentistry = Dentistry
choice-other-departments-other = Other
item-other-departments-other = Other department (name)

## Request (from the hub; not printed)

section-request = Request
item-request-id = Request number
item-application-date = Application date
item-application-kind = Application type
choice-application-kind-new = New application
choice-application-kind-renewal = Renewal
choice-application-kind-change = Change of care level
item-requested-date = Date requested
item-due-date = Due date

## 1. Illness

section-disease = 1. Opinion on the illness
item-diagnosis-1 = Diagnosis 1
item-onset-1 = Onset date 1
item-diagnosis-2 = Diagnosis 2
item-onset-2 = Onset date 2
item-diagnosis-3 = Diagnosis 3
item-onset-3 = Onset date 3
item-specified-disease = Specified disease (特定疾病) of diagnosis 1
choice-specified-disease-cancer = Cancer (terminal)
choice-specified-disease-rheumatoid-arthritis = Rheumatoid arthritis
choice-specified-disease-als = Amyotrophic lateral sclerosis
choice-specified-disease-opll = Ossification of the posterior longitudinal ligament
choice-specified-disease-osteoporosis-fracture = Osteoporosis with fracture
choice-specified-disease-presenile-dementia = Presenile dementia
choice-specified-disease-parkinson-related = Progressive supranuclear palsy, corticobasal degeneration and Parkinson's disease
choice-specified-disease-scd = Spinocerebellar degeneration
choice-specified-disease-spinal-stenosis = Spinal canal stenosis
choice-specified-disease-progeria = Progeria
choice-specified-disease-msa = Multiple system atrophy
choice-specified-disease-diabetic-complications = Diabetic neuropathy, nephropathy and retinopathy
choice-specified-disease-cerebrovascular = Cerebrovascular disease
choice-specified-disease-aso = Arteriosclerosis obliterans
choice-specified-disease-copd = Chronic obstructive pulmonary disease
choice-specified-disease-knee-hip-oa = Osteoarthritis with marked deformity of both knees or hips
choice-specified-disease-none = Not a specified disease
item-additional-diagnoses = Fourth and further diagnoses
item-stability = (2) Stability of the symptoms
choice-stability-stable = Stable
choice-stability-unstable = Unstable
choice-stability-unknown = Unknown
item-stability-detail = If unstable: the situation
item-course-treatment = (3) Course and treatment, including medication, of the illness causing the decline or of the specified disease

## 2. Special medical care

section-special-medical = 2. Special medical care (all received in the past 14 days)
item-special-procedures = Procedures
choice-special-procedures-iv-drip = Drip infusion management
choice-special-procedures-tpn = Central venous nutrition
choice-special-procedures-dialysis = Dialysis
choice-special-procedures-stoma = Stoma care
choice-special-procedures-oxygen = Oxygen therapy
choice-special-procedures-respirator = Respirator
choice-special-procedures-tracheostomy = Tracheostomy care
choice-special-procedures-pain-nursing = Pain nursing
choice-special-procedures-tube-feeding = Tube feeding
item-special-responses = Special care
choice-special-responses-monitoring = Monitoring (blood pressure, heart rate, oxygen saturation, etc.)
choice-special-responses-pressure-ulcer-care = Pressure ulcer care
item-special-incontinence = Incontinence care
choice-special-incontinence-catheter = Catheter (condom catheter, indwelling catheter, etc.)

## 3. Mind and body

section-mind-body = 3. Opinion on mental and physical state
item-bedridden-level = Independence of the elderly with disabilities (bedridden level)
choice-bedridden-level-independent = Independent
choice-bedridden-level-j1 = J1
choice-bedridden-level-j2 = J2
choice-bedridden-level-a1 = A1
choice-bedridden-level-a2 = A2
choice-bedridden-level-b1 = B1
choice-bedridden-level-b2 = B2
choice-bedridden-level-c1 = C1
choice-bedridden-level-c2 = C2
item-dementia-level = Independence of the elderly with dementia
choice-dementia-level-independent = Independent
choice-dementia-level-i = I
choice-dementia-level-iia = IIa
choice-dementia-level-iib = IIb
choice-dementia-level-iiia = IIIa
choice-dementia-level-iiib = IIIb
choice-dementia-level-iv = IV
choice-dementia-level-m = M
item-short-term-memory = Short-term memory
choice-short-term-memory-ok = No problem
choice-short-term-memory-problem = Problem
item-decision-making = Cognitive ability for daily decisions
choice-decision-making-independent = Independent
choice-decision-making-somewhat-difficult = Somewhat difficult
choice-decision-making-needs-supervision = Needs supervision
choice-decision-making-unable = Cannot decide
item-communication = Ability to communicate own wishes
choice-communication-able = Can communicate
choice-communication-somewhat-difficult = Somewhat difficult
choice-communication-specific-only = Specific requests only
choice-communication-unable = Cannot communicate
item-bpsd = Behavioural and psychological symptoms of dementia (BPSD)
item-bpsd-items = BPSD symptoms
choice-bpsd-items-hallucination = Visual or auditory hallucinations
choice-bpsd-items-delusion = Delusions
choice-bpsd-items-day-night-reversal = Day-night reversal
choice-bpsd-items-verbal-abuse = Verbal abuse
choice-bpsd-items-violence = Violence
choice-bpsd-items-care-resistance = Resistance to care
choice-bpsd-items-wandering = Wandering
choice-bpsd-items-fire-hazard = Careless with fire
choice-bpsd-items-unclean-behavior = Unclean behaviour
choice-bpsd-items-pica = Pica
choice-bpsd-items-sexual-behavior = Sexually inappropriate behaviour
choice-bpsd-items-other = Other
item-bpsd-other = BPSD (other)
item-psych-symptoms = Other psychiatric or neurological symptoms
item-psych-symptom-name = Name of the symptom
item-specialist-visit = Seen by a specialist
item-specialist-visit-detail = Specialist (department etc.)
item-handedness = Dominant hand
choice-handedness-right = Right
choice-handedness-left = Left
item-height = Height
item-weight = Weight
item-weight-change = Weight change over the past 6 months
choice-weight-change-increase = Increased
choice-weight-change-maintain = Maintained
choice-weight-change-decrease = Decreased
item-limb-loss = Loss of a limb
item-limb-loss-site = Loss of a limb (site)
item-paralysis = Paralysis
item-paralysis-sites = Paralysis (sites)
choice-paralysis-sites-right-arm = Right arm
choice-paralysis-sites-left-arm = Left arm
choice-paralysis-sites-right-leg = Right leg
choice-paralysis-sites-left-leg = Left leg
choice-paralysis-sites-other = Other
item-paralysis-right-arm-degree = Paralysis, right arm (degree)
item-paralysis-left-arm-degree = Paralysis, left arm (degree)
item-paralysis-right-leg-degree = Paralysis, right leg (degree)
item-paralysis-left-leg-degree = Paralysis, left leg (degree)
item-paralysis-other-site = Paralysis, other (site)
item-paralysis-other-degree = Paralysis, other (degree)
item-muscle-weakness = Muscle weakness
item-muscle-weakness-site = Muscle weakness (site)
item-muscle-weakness-degree = Muscle weakness (degree)
item-contracture = Joint contracture
item-contracture-site = Joint contracture (site)
item-contracture-degree = Joint contracture (degree)
item-joint-pain = Joint pain
item-joint-pain-site = Joint pain (site)
item-joint-pain-degree = Joint pain (degree)
item-ataxia = Ataxia or involuntary movement
item-ataxia-sides = Ataxia or involuntary movement (sites)
choice-ataxia-sides-upper-right = Upper limb, right
choice-ataxia-sides-upper-left = Upper limb, left
choice-ataxia-sides-lower-right = Lower limb, right
choice-ataxia-sides-lower-left = Lower limb, left
choice-ataxia-sides-trunk-right = Trunk, right
choice-ataxia-sides-trunk-left = Trunk, left
item-pressure-ulcer = Pressure ulcer
item-pressure-ulcer-site = Pressure ulcer (site)
item-pressure-ulcer-degree = Pressure ulcer (degree)
item-other-skin = Other skin disease
item-other-skin-site = Other skin disease (site)
item-other-skin-degree = Other skin disease (degree)

## 4. Daily functioning and services

section-life-function = 4. Opinion on daily functioning and services
item-outdoor-walking = Walking outdoors
choice-outdoor-walking-independent = Independent
choice-outdoor-walking-with-assistance = Walks with assistance
choice-outdoor-walking-not-walking = Does not walk
item-wheelchair = Wheelchair use
choice-wheelchair-not-used = Not used
choice-wheelchair-self-operated = Mostly operated by self
choice-wheelchair-operated-by-others = Mostly operated by others
item-walking-aids = Walking aids and orthoses (several allowed)
choice-walking-aids-not-used = Not used
choice-walking-aids-outdoor = Used outdoors
choice-walking-aids-indoor = Used indoors
item-eating = Eating
choice-eating-independent = Independent, or manages to eat alone
choice-eating-full-assistance = Full assistance
item-nutrition = Current nutritional state
choice-nutrition-good = Good
choice-nutrition-poor = Poor
item-nutrition-notes = Points to note on nutrition and eating
item-conditions = (3) Conditions present or likely, and how to deal with them
choice-conditions-incontinence = Urinary incontinence
choice-conditions-fall-fracture = Falls and fractures
choice-conditions-reduced-mobility = Reduced mobility
choice-conditions-pressure-ulcer = Pressure ulcers
choice-conditions-cardiopulmonary = Reduced cardiopulmonary function
choice-conditions-withdrawal = Staying shut in
choice-conditions-low-motivation = Low motivation
choice-conditions-wandering = Wandering
choice-conditions-undernutrition = Undernutrition
choice-conditions-dysphagia = Reduced eating and swallowing function
choice-conditions-dehydration = Dehydration
choice-conditions-infection-prone = Susceptibility to infection
choice-conditions-cancer-pain = Pain from cancer etc.
choice-conditions-other = Other
item-conditions-other = Condition (other)
item-conditions-policy = How to deal with them
item-improvement-outlook = (4) Outlook for maintaining or improving functioning with services
choice-improvement-outlook-expected = Can be expected
choice-improvement-outlook-not-expected = Cannot be expected
choice-improvement-outlook-unknown = Unknown
item-medical-services = (5) Need for medical management
choice-medical-services-home-medical = Home medical visits
choice-medical-services-home-nursing = Home nursing
choice-medical-services-home-dental = Home dental care
choice-medical-services-home-pharmacy = Home medication management
choice-medical-services-home-rehab = Home rehabilitation
choice-medical-services-short-stay-care = Short-stay medical care
choice-medical-services-home-dental-hygiene = Home dental hygiene guidance
choice-medical-services-home-nutrition = Home nutrition guidance
choice-medical-services-day-rehab = Day rehabilitation
choice-medical-services-health-facility = Long-term care health facility
choice-medical-services-care-medical-institution = Integrated facility for medical and long-term care
choice-medical-services-other = Other medical services
choice-medical-services-none = Nothing in particular
item-medical-services-other = Other medical services (what)
item-care-notes = (6) Medical points to note when services are provided
choice-care-notes-blood-pressure = Blood pressure
choice-care-notes-eating = Eating
choice-care-notes-swallowing = Swallowing
choice-care-notes-mobility = Moving
choice-care-notes-exercise = Exercise
choice-care-notes-other = Other
choice-care-notes-none = Nothing in particular
item-care-note-blood-pressure = Point to note (blood pressure)
item-care-note-eating = Point to note (eating)
item-care-note-swallowing = Point to note (swallowing)
item-care-note-mobility = Point to note (moving)
item-care-note-exercise = Point to note (exercise)
item-care-note-other = Point to note (other)
item-infection = (7) Infectious disease
choice-infection-no = No
choice-infection-yes = Yes
choice-infection-unknown = Unknown
item-infection-detail = Infectious disease (details)

## 5. Special notes

section-notes = 5. Special notes
item-notes-guidance-r3 = Write the medical opinions needed for the care-level certification and care planning, including points to watch such as illnesses that affect supervision, and especially matters that affect the effort of care. If a specialist's opinion was sought, also write its content and result. (Copies of referral letters or certificates for disability handbooks may be attached.)
item-notes-guidance-r8 = Write the medical opinions needed for the care-level certification and care planning, including points to watch such as illnesses that affect supervision, and especially matters that affect the effort of care. If a specialist's opinion was sought, also write its content and result.
item-special-notes = Special notes
